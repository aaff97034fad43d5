"""The Rasa project (config.yml, domain/, endpoints.yml, credentials.yml) and its Python
package: custom NLU components (nlu/), safety (safety/), channels (channels/) and the
Norwegian NLP recipe (nlp/)."""
