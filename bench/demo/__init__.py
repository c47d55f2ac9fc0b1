"""A small bicycle factory played through a working week over the public APIs (`make demo`)."""
