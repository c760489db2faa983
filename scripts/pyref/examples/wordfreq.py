"""An example of a user's own function for `make bench-python FUNC=... ARGS=...`:
the most frequent words of a text, in pure Python (it holds the GIL
throughout). Its calls are in wordfreq.json: one argument list per call.

    make bench-python PROFILE=smoke FUNC=scripts/pyref/examples/wordfreq.py:wordfreq \
        ARGS=scripts/pyref/examples/wordfreq.json
"""

import collections
import random

WORDS = ("the of and to in is was that for it with as his on be at by had are but from or have an they which "
         "one you were all her she there would their we him been has when who will no more if out so said what up "
         "its about than into them can only other new some could time these two may then do first any my now such "
         "like our over man me even most made after also did many before must through back years where much your "
         "way well down should because each just those people how too little state good very make world still own "
         "see men work long get here between both life being under never day same another know while last might us "
         "great old year off come since against go came right used take three").split()


def wordfreq(seed, words, top=10):
    """The top most frequent words, with their counts, of a text of words
    words drawn (deterministically, from seed) from a small vocabulary."""
    rng = random.Random(seed)
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    counts = collections.Counter(w.strip(".,") for w in text.lower().split())
    return counts.most_common(top)
