"""Tests for wardfleet.ui (a package, so its helpers import relatively: ``from .seed``)."""
