"""The plant's loss reasons: why tasks pause and work centers stop."""
