"""One module per schema revision, in order; never edit a released revision, add a new one."""
