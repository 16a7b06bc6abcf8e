"""The 统计 section's parts: filter bar, one tab per view (tables and charts),
charts drawn with matplotlib (imported only when the section opens), export."""
