"""Wardfleet: discover, watch and configure a hospital ward's device fleet, offline first."""

__version__ = "0.1.0"
