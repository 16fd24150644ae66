"""bip: a static-site generator for the Public Information Bulletins (BIP) of a region."""

__version__ = "0.1.0"
