"""Files people write and read: YAML banks and contests, imports, exports, review."""
