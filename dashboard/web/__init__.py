"""The web layer the pages stand on: sign-in, the request context, navigation, Dash's index, headers, routes."""
