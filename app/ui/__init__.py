"""The thin Qt layer over the services."""
