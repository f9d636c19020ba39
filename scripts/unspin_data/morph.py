"""English inflection: the forms of a lemma and the lemmas of a form.

An edge between two lemmas is only usable in text if both words are
inflected alike ("state" -> "say" gives "stating" -> "saying"); every
generated form must be a real word of the frequency list, so that no
layer writes a word that does not exist.
"""
import re

VOWELS = set("aeiou")
# (pos, tag) pairs that a lemma can be inflected into; 'pl' for nouns and
# 's' for verbs share their surface form in most cases.
INFL_TAGS = {"noun": ("pl",), "verb": ("s", "ed", "ing"), "adj": ("er", "est")}


def _sibilant(w):
    return w.endswith(("s", "x", "z", "ch", "sh"))


def _cvc(w):
    return (len(w) >= 3 and w[-1] not in VOWELS and w[-1] not in "wxy"
            and w[-2] in VOWELS and w[-3] not in VOWELS)


def _with_suffix(w, suffix):
    """w + a vowel suffix when w ends consonant-vowel-consonant: a word of
    one syllable doubles its last consonant ("plan" -> "planned", "stat" ->
    "statted", never "stated", which is "state" + "d"); a longer one may or
    may not ("travelled" / "traveled", "targeted", "referred"), so both
    forms are offered and the frequency list decides."""
    doubled = w + w[-1] + suffix
    if len(re.findall(r"[aeiou]+", w)) == 1:
        return [doubled]
    return [doubled, w + suffix]


def regular_forms(lemma, tag):
    w = lemma
    if tag in ("pl", "s"):
        if _sibilant(w):
            return [w + "es"]
        if w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
            return [w[:-1] + "ies"]
        if tag == "s" and w.endswith("o") and len(w) > 1 and w[-2] not in VOWELS:
            return [w + "es"]
        return [w + "s"]
    if tag == "ed":
        if w.endswith("e"):
            return [w + "d"]
        if w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
            return [w[:-1] + "ied"]
        return _with_suffix(w, "ed") if _cvc(w) else [w + "ed"]
    if tag == "ing":
        if w.endswith("ie"):
            return [w[:-2] + "ying"]
        if w.endswith("e") and not w.endswith(("ee", "ye", "oe")) and len(w) > 2:
            return [w[:-1] + "ing"]
        return _with_suffix(w, "ing") if _cvc(w) else [w + "ing"]
    if tag in ("er", "est"):
        suf = tag
        if w.endswith("e"):
            return [w + suf[1:]]
        if w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
            return [w[:-1] + "i" + suf]
        return _with_suffix(w, suf) if _cvc(w) else [w + suf]
    return []


class Morph:
    def __init__(self, freq, exc_to_lemma, exc_forms):
        self.freq = freq
        self.exc_to_lemma = exc_to_lemma
        self.exc_forms = exc_forms
        self._cache = {}

    def real(self, phrase):
        return all(x in self.freq for x in phrase.replace("-", " ").split())

    def inflect_word(self, lemma, pos, tag):
        """inflected forms of a single word (tuple, possibly empty); each a
        real word (in the frequency list) and different from the lemma"""
        key = (lemma, pos, tag)
        if key in self._cache:
            return self._cache[key]
        res = ()
        irr = self.exc_forms.get(lemma, {}).get(pos)
        if irr:
            cand = []
            for f in irr:
                if tag == "ing":
                    ok = f.endswith("ing")
                elif tag in ("s", "pl"):
                    ok = (f.endswith("s") and not f.endswith("ss")) if pos == "verb" else True
                elif tag == "ed":
                    ok = not f.endswith("ing") and not (f.endswith("s") and not f.endswith("ss"))
                elif tag == "er":
                    ok = f.endswith("er")
                else:
                    ok = f.endswith("est")
                if ok and f in self.freq and f != lemma:
                    cand.append(f)
            res = tuple(sorted(set(cand)))
        if not res and not (irr and tag in ("pl", "ed", "er", "est")):
            cand = [f for f in regular_forms(lemma, tag) if f in self.freq and f != lemma]
            if cand:
                res = (max(cand, key=lambda f: (self.freq[f], f)),)
        self._cache[key] = res
        return res

    def inflect(self, phrase, pos, tag):
        """inflect a (possibly multi-word) lemma: verbs on the first word,
        nouns/adjectives on the last; tuple of forms"""
        if " " not in phrase:
            return self.inflect_word(phrase, pos, tag)
        ws = phrase.split(" ")
        i = 0 if pos == "verb" else len(ws) - 1
        out = []
        for f in self.inflect_word(ws[i], pos, tag):
            v = list(ws)
            v[i] = f
            out.append(" ".join(v))
        return tuple(out)

    def lemmas(self, word, lexicon):
        """possible (lemma, pos, tag) analyses of a word; tag '' = base form"""
        out = [(word, None, "")]
        for lem, pos in self.exc_to_lemma.get(word, ()):
            tag = {"noun": "pl", "adj": "er", "adv": "er"}.get(pos)
            if pos == "verb":
                tag = "ing" if word.endswith("ing") else ("s" if word.endswith("s") else "ed")
            if pos == "adj" and word.endswith("st"):
                tag = "est"
            out.append((lem, pos, tag))
        rules = [("noun", "pl", "ies", "y"), ("noun", "pl", "es", ""), ("noun", "pl", "s", ""),
                 ("verb", "s", "ies", "y"), ("verb", "s", "es", ""), ("verb", "s", "s", ""),
                 ("verb", "ed", "ied", "y"), ("verb", "ed", "ed", "e"), ("verb", "ed", "ed", ""),
                 ("verb", "ing", "ing", "e"), ("verb", "ing", "ing", ""),
                 ("adj", "er", "ier", "y"), ("adj", "er", "er", "e"), ("adj", "er", "er", ""),
                 ("adj", "est", "iest", "y"), ("adj", "est", "est", "e"), ("adj", "est", "est", "")]
        for pos, tag, suf, rep in rules:
            if word.endswith(suf) and len(word) > len(suf) + 1:
                stem = word[: -len(suf)] + rep
                cands = [stem]
                if tag in ("ed", "ing", "er", "est") and rep == "" and len(stem) > 2 and stem[-1] == stem[-2]:
                    cands.append(stem[:-1])
                for lem in cands:
                    if lem in lexicon and word in self.inflect_word(lem, pos, tag):
                        out.append((lem, pos, tag))
        seen, res = set(), []
        for x in out:
            if x not in seen:
                seen.add(x)
                res.append(x)
        return res
