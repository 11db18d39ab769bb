"""What leaves the dashboard as documents and data: the progress report, open datasets."""
