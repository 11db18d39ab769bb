"""The web shell: the Flask app, Dash shell and navigation, sign-in, request context, headers, routes."""
