"""Planning parameters of items: how MRP sizes, sources and times their orders."""
