"""MRP runs, their planned orders and exceptions; forecasts; the open supply and demand they plan from."""
