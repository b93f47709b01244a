"""Pieces the recommendation, draft and moderation pages share: page guard, labels, forms, diffs, comments."""
