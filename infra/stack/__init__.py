"""The resources around the app, one module per concern; each adds its part to the template."""
