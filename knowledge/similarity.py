"""Similarity of a user's message to each article, for choosing the article that answers it.

Each article is represented by its example ``questions`` (how people ask for it), and by a
profile (title, keywords, tags, body). A message is compared with both by TF-IDF cosine over
character n-grams of folded text (robust to typos, inflection, compounds, Nynorsk and dialect
spellings), and optionally over word lemmas from the project's spaCy pipeline (see
``LemmaAnalyzer``). The score of an article is a mix of its best-matching question and its
profile. Everything is in memory: for ~60 articles the index builds in about 0.5 s and a
query costs about 1 ms with character n-grams only; lemmas (``KB_LEMMAS=1``) add the spaCy
pipeline's load (~6 s) and ~3 ms per query (measured on this 2-core machine under load).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .text import fold

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Weights:
    """How the parts of a similarity score are mixed (tuned on tests/nlu/dev_articles.yml)."""

    question: float = 0.7  # best single question
    profile: float = 0.3  # title + keywords + tags + body


def _profile_text(article) -> str:
    parts = [article.title, article.title, " ".join(article.keywords)]
    parts += [" ".join(article.benefits), " ".join(article.diagnoses)]
    parts.append(article.body)
    return "\n".join(parts)


class LemmaAnalyzer:
    """Word lemmas of folded text through a spaCy pipeline (``nb_parorende`` by default).

    Optional: when the pipeline cannot be loaded, ``available`` is False and callers fall back
    to character n-grams only.
    """

    def __init__(self, model: str | None = None):
        self.model = model or os.environ.get("KB_LEMMA_MODEL", "nb_parorende")
        self._nlp = None
        self.available = False
        try:
            import spacy

            self._nlp = spacy.load(self.model, exclude=["ner", "entity_ruler"])
            self.available = True
        except Exception as exc:  # noqa: BLE001 - optional feature
            log.info("lemma analyzer off (%s): %s", self.model, exc)

    def __call__(self, text: str) -> list[str]:
        if self._nlp is None:
            return []
        doc = self._nlp(text.lower())
        return [fold(t.lemma_ or t.text) for t in doc if t.is_alpha and not t.is_stop]


class SimilarityIndex:
    """TF-IDF cosine between a message and each article's questions and profile."""

    def __init__(
        self,
        articles: Sequence,
        *,
        weights: Weights = Weights(),
        lemma: Callable[[str], list[str]] | None = None,
    ):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.weights = weights
        self.ids: list[str] = [a.id for a in articles]
        q_owner: list[int] = []
        q_texts: list[str] = []
        for i, a in enumerate(articles):
            for q in a.questions:
                q_owner.append(i)
                q_texts.append(q)
        profiles = [_profile_text(a) for a in articles]
        self._q_owner = q_owner
        self._char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), preprocessor=fold, sublinear_tf=True,
            min_df=1,
        )
        self._char.fit(q_texts + profiles)
        self._q_char = self._char.transform(q_texts) if q_texts else None
        self._p_char = self._char.transform(profiles)
        self._word = None
        if lemma is not None:
            self._word = TfidfVectorizer(analyzer=lemma, sublinear_tf=True)
            self._word.fit(q_texts + profiles)
            self._q_word = self._word.transform(q_texts) if q_texts else None
            self._p_word = self._word.transform(profiles)

    def scores(self, text: str) -> dict[str, float]:
        """Similarity in [0, 1] of ``text`` to every article (id -> score)."""
        if not text.strip() or not self.ids:
            return {}
        mats = [(self._char, self._q_char, self._p_char)]
        if self._word is not None:
            mats.append((self._word, self._q_word, self._p_word))
        q_sims = np.zeros(len(self._q_owner))
        profile = np.zeros(len(self.ids))
        for vec, qm, pm in mats:  # cosine: TF-IDF rows are unit length
            x = vec.transform([text]).T
            if qm is not None:
                q_sims += (qm @ x).toarray().ravel() / len(mats)
            profile += (pm @ x).toarray().ravel() / len(mats)
        best_q = np.zeros(len(self.ids))  # best question per article, on the mixed score
        np.maximum.at(best_q, self._q_owner, q_sims)
        total = self.weights.question * best_q + self.weights.profile * profile
        return dict(zip(self.ids, total.tolist()))
