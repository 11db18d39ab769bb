"""Reporting and review: accounts, permissions in use, audit, evidence, submissions and worklists."""
