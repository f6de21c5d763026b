"""Figures: one house style, plotting functions that only draw, deterministic saving."""
