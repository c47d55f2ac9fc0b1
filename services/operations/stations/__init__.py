"""The work center's page for operators: dispatch list, the running task, start/pause/report/complete."""
