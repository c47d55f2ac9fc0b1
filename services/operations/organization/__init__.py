"""Departments and their teams, with members and skills."""
