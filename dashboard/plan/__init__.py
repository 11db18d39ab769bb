"""The plan: axes, objectives, measures and indicators; progress rules, queries and roll-ups."""
