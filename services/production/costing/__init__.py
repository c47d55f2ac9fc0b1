"""Standard cost roll-ups of products and the actual cost of production orders against them."""
