"""Work requests between departments: maintenance, quality, material and engineering."""
