"""The 设置 section's pages: parameters, users, audit log, my account."""
