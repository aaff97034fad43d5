"""Understanding whole messages: the ask in a story and the situation it tells."""
