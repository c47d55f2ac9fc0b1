"""Work centers: capacity, cost and working calendar."""
