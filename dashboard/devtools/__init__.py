"""Tools for developers: the benchmark and the in-process Dash test client."""
