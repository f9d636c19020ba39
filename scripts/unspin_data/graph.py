"""The lemma graph of the thesauri: which sources list s for w.

One graph for the thesaurus layer's edges and features and for the
alignment's guess at which words were swapped for which.
"""
import os

from .sources import MOBY, MYTHES, PPDB1, PPDB2, load_moby, load_mythes, load_ppdb, load_ppdb1


class Graph:
    """Lemma-level thesaurus edges w -> s with per-source evidence."""

    def __init__(self, src_dir, freq, log=print):
        self.freq = freq
        log("loading moby ...")
        self.moby = load_moby(os.path.join(src_dir, MOBY))
        log("loading mythes ...")
        self.mythes = load_mythes(os.path.join(src_dir, MYTHES))
        log("loading ppdb ...")
        ppdb = load_ppdb(os.path.join(src_dir, PPDB2))
        self.ppdb = {}
        for a, b in sorted(ppdb):
            self.ppdb.setdefault(a, set()).add(b)
            self.ppdb.setdefault(b, set()).add(a)
        log("loading ppdb1 xl ...")
        self.ppdb1 = load_ppdb1(os.path.join(src_dir, PPDB1))
        # moby rank lookup
        self.moby_rank = {w: {s: r for r, s in enumerate(L)} for w, L in self.moby.items()}
        # mythes: w -> {s: (first sense index, pos, position, rel)} best per rel
        self.my = {}
        self.my_pos = {}      # word -> primary pos, and set of pos
        self.my_nsyn = {}
        for w, senses in self.mythes.items():
            d = {}
            poss = []
            n = 0
            for si, (pos, syns) in enumerate(senses):
                if pos not in poss:
                    poss.append(pos)
                for pi, (s, rel) in enumerate(syns):
                    if rel == "antonym":
                        continue
                    if rel == "":
                        n += 1
                    k = (s, rel)
                    if k not in d:
                        d[k] = (si, pos, pi)
            self.my[w] = d
            self.my_pos[w] = poss
            self.my_nsyn[w] = n
        self.lexicon = (set(self.moby) | set(self.mythes) | set(self.ppdb) | set(self.ppdb1)
                        | set(freq))

    def neighbours(self, w):
        """sorted list of lemma s with an edge w -> s"""
        out = set(self.moby.get(w, ()))
        for (s, rel) in self.my.get(w, {}):
            out.add(s)
        out |= self.ppdb.get(w, set())
        out |= set(self.ppdb1.get(w, ()))
        out.discard(w)
        return sorted(out)

    def related(self, s, w):
        return (s in self.moby_rank.get(w, {}) or w in self.moby_rank.get(s, {})
                or any((s, r) in self.my.get(w, {}) for r in ("", "similar", "generic", "related"))
                or any((w, r) in self.my.get(s, {}) for r in ("", "similar", "generic", "related"))
                or s in self.ppdb.get(w, ())
                or s in self.ppdb1.get(w, ()) or w in self.ppdb1.get(s, ()))

    def pos_of_edge(self, w, s):
        """parts of speech under which w -> s holds"""
        ps = []
        d = self.my.get(w, {})
        for rel in ("", "similar", "related", "generic"):
            if (s, rel) in d:
                p = d[(s, rel)][1]
                if p not in ps:
                    ps.append(p)
        if ps:
            return ps
        a, b = self.my_pos.get(w), self.my_pos.get(s)
        if a and b:
            inter = [p for p in a if p in b]
            if inter:
                return inter
            return []
        if a or b:
            return list(a or b)
        return ["noun", "verb", "adj"]
