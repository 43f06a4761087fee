"""The project's own labelled prompt-injection training set and its generator."""
