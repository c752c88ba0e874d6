"""The running contest: the service around the engine, its journal, access and timing."""
