"""Norwegian spaCy pipeline for the pårørende chatbot (training recipe, see README.md)."""
