"""Page parts that callbacks re-render; page modules themselves are loaded by Dash only."""
