"""Stores chosen from the environment at start-up (Rasa's ${VAR} cannot switch a store's type)."""
