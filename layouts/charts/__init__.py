"""Every Plotly figure of the dashboard, one module per domain: ``base`` (the shared style
and generic figures), ``plan``, ``statistics``, ``regions``, ``activities``, ``funding``.

Builders take plain lists, dicts and the words they write, and return a ``go.Figure`` or a
figure dict; the parts in ``layouts/parts`` put them in cards with their descriptions.
"""
