"""Figures that leave the staff area: breakdown tables, small-number suppression, the figure
and chart template tags."""
