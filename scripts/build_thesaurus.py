"""Build the thesaurus layer of the reverse dictionary with learned weights.

Usage (Python 3.11, standard library only; the defaults are the committed
parameters, scripts/unspin_data/params.py):

    python3 scripts/build_thesaurus.py --sources DIR --train DIR

`python3 scripts/rebuild_data.py thesaurus` runs it and records its inputs
in data/dict/MANIFEST. The readers, the inflection and the alignment it
uses are in scripts/unspin_data/, shared with the other data scripts.

1. Candidate edges w -> s (the spinner may write s for the original w) from
   Moby (root -> listed word), MyThes (entry -> synonym / similar / generic /
   related term of a sense; antonyms dropped) and PPDB equivalence pairs
   (both directions); single words and the multi-word entries the thesauri
   list.  Both sides must be real words (every word in the frequency list).
2. Consistent inflection: an edge between lemmas also yields the edge between
   their plurals / -s / -ed / -ing / -er / -est forms under the part(s) of
   speech the edge holds for (MyThes tags), using WordNet's exception lists
   for irregular forms and regular rules otherwise; an inflected pair is kept
   only when both forms are in the frequency list.  Possessives need no rows:
   the matcher strips "'s".
3. Per-edge features (FEATURES): sources and directions, ranks, list sizes,
   frequencies of w and s, POS agreement, inflection, phrase shape, ...
4. Training pairs are aligned (difflib; unequal blocks split by a small DP
   that prefers thesaurus neighbours).  A ranking model (conditional logit:
   softmax over the candidate originals of a spun word, with log P(w) as a
   fixed offset) learns which edges the spinner uses; a calibration step
   (binomial logistic regression over every occurrence of a thesaurus word in
   the originals, changed or not) turns its score into
   P(spinner writes s | occurrence of w).  Stories weigh 1 each, split over
   their spun copies.  k-fold by story reports held-out ranking quality.
5. Output rows spun,original,weight,source with weight = log10 P(s | w)
   minus a layer discount (--discount, default 1.0, tuned end to end);
   per spun key the top K originals by P(s | w) P(w), above a floor
   (a lower one, --rare-floor, for keys rarer than --rare-count);
   function words, numbers and words under 3 letters are not keys.

Deterministic: sorted iteration everywhere, negatives subsampled by a CRC32
hash salted with --seed.
"""
import argparse
import csv
import math
import os
import re
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unspin_data import params  # noqa: E402
from unspin_data.graph import Graph  # noqa: E402
from unspin_data.morph import INFL_TAGS, Morph  # noqa: E402
from unspin_data.pairs import align_pair, story_groups  # noqa: E402
from unspin_data.sources import (  # noqa: E402
    BIGRAMS, FREQ, WORDNET_EXC, load_bigrams, load_exc, load_freq)
from unspin_data.text import FUNCTION_WORDS, KEY_RE, content_key  # noqa: E402


# ---------------------------------------------------------------- edges
def valid_original(w, morph):
    return bool(KEY_RE.fullmatch(w)) and len(w.split(" ")) <= 4 and morph.real(w)


class Edges:
    """Surface-form edges w_form -> s_form derived from lemma edges wl -> sl
    plus consistent inflection (both sides inflected alike)."""

    def __init__(self, graph, morph):
        self.G, self.M = graph, morph
        self._adj, self._inst = {}, {}
        self.words = sorted(w for w in (set(graph.moby) | set(graph.my) | set(graph.ppdb))
                            if valid_original(w, morph))
        self.rev = {}
        for wl in self.words:
            for sl in self.adj(wl):
                self.rev.setdefault(sl, []).append(wl)
        self.lex_w = set(self.words)
        self.lex_s = set(self.rev)
        self.bigrams = None
        self._srank, self._wrank, self._strong = {}, {}, {}

    def _lf(self, w):
        return logfreq(w, self.M.freq, self.bigrams)

    def s_rank(self, wl, sl):
        """rank of sl among wl's neighbours by frequency (0 = most frequent)"""
        d = self._srank.get(wl)
        if d is None:
            order = sorted(self.adj(wl), key=lambda s: (-self._lf(s), s))
            d = self._srank[wl] = {s: i for i, s in enumerate(order)}
        return d.get(sl, len(d))

    def w_rank(self, wl, sl):
        """rank of wl among the lemmas that list sl, by frequency"""
        d = self._wrank.get(sl)
        if d is None:
            order = sorted(self.rev.get(sl, ()), key=lambda w: (-self._lf(w), w))
            d = self._wrank[sl] = {w: i for i, w in enumerate(order)}
        return d.get(wl, len(d))

    def strong_size(self, wl):
        """number of wl's neighbours listed by at least two sources"""
        n = self._strong.get(wl)
        if n is None:
            G, n = self.G, 0
            for s in self.adj(wl):
                k = (int(s in G.moby_rank.get(wl, {}) or wl in G.moby_rank.get(s, {}))
                     + int((s, "") in G.my.get(wl, {}) or (wl, "") in G.my.get(s, {}))
                     + int(s in G.ppdb.get(wl, ())))
                n += k >= 2
            self._strong[wl] = n
        return n

    def adj(self, wl):
        r = self._adj.get(wl)
        if r is None:
            r = [s for s in self.G.neighbours(wl) if KEY_RE.fullmatch(s) and self.M.real(s)]
            self._adj[wl] = r
        return r

    def instances(self, wl, sl):
        """[(w_form, s_form, pos, tag)] base first, deduplicated"""
        k = (wl, sl)
        r = self._inst.get(k)
        if r is not None:
            return r
        out, seen = [(wl, sl, None, "")], {(wl, sl)}
        for pos in self.G.pos_of_edge(wl, sl):
            for tag in INFL_TAGS.get(pos, ()):
                wf = self.M.inflect(wl, pos, tag)
                if not wf:
                    continue
                sf = self.M.inflect(sl, pos, tag)
                for a in wf:
                    for b in sf:
                        if (a, b) not in seen and a != b:
                            seen.add((a, b))
                            out.append((a, b, pos, tag))
        if len(self._inst) < 3_000_000:
            self._inst[k] = out
        return out

    def from_form(self, w):
        """{s_form: (wl, sl, pos, tag)} for a surface original w"""
        out = {}
        for wl, _, _ in self.M.lemmas(w, self.lex_w):
            if wl not in self.lex_w:
                continue
            for sl in self.adj(wl):
                for a, b, pos, tag in self.instances(wl, sl):
                    if a == w and b not in out and content_key(b):
                        out[b] = (wl, sl, pos, tag)
        return out

    def to_form(self, s):
        """{w_form: (wl, sl, pos, tag)} for a surface spun s"""
        out = {}
        if not content_key(s):
            return out
        for sl, _, _ in self.M.lemmas(s, self.lex_s):
            for wl in self.rev.get(sl, ()):
                for a, b, pos, tag in self.instances(wl, sl):
                    if b == s and a not in out:
                        out[a] = (wl, sl, pos, tag)
        return out


# ---------------------------------------------------------------- features
FEATURES = [
    "bias", "moby", "moby_logrank", "moby_relrank", "moby_rev", "moby_rev_logrank",
    "moby_listsize", "my_syn", "my_syn_logsense", "my_syn_first_sense", "my_syn_logpos",
    "my_similar", "my_generic", "my_related", "my_rev", "my_nsyn", "ppdb", "n_sources",
    "lf_w", "lf_w2", "lf_s", "lf_s2", "lf_diff", "s_rarer", "pos_agree", "pos_unknown",
    "inflected", "s_multiword", "w_multiword", "s_contains_w", "w_function_word",
    "s_chars", "shared_prefix4", "w_contains_s", "three_sources", "s_freqrank_in_w",
    "w_freqrank_in_s", "strong_listsize", "ppdb1", "ppdb1_logrank", "ppdb1_rev",
    "ppdb1_and_other",
]


def logfreq(phrase, freq, bigrams=None):
    """log10 count of a word; for a phrase, a bigram-chain estimate"""
    ws = phrase.replace("-", " ").split()
    if len(ws) == 1 or bigrams is None:
        return min(math.log10(freq.get(x, 0) + 1) for x in ws)
    lc = math.log10(bigrams.get((ws[0], ws[1]), 0) + 1)
    for i in range(1, len(ws) - 1):
        lc += math.log10(bigrams.get((ws[i], ws[i + 1]), 0) + 1) - math.log10(freq.get(ws[i], 0) + 1)
    return max(lc, 0.0)


def features(E, wl, sl, pos, tag, wf, sf):
    G, freq = E.G, E.M.freq
    x = [0.0] * len(FEATURES)
    x[0] = 1.0
    r = G.moby_rank.get(wl, {}).get(sl)
    if r is not None:
        L = len(G.moby[wl])
        x[1], x[2], x[3] = 1.0, math.log1p(r) / 3, r / L
    rr = G.moby_rank.get(sl, {}).get(wl)
    if rr is not None:
        x[4], x[5] = 1.0, math.log1p(rr) / 3
    x[6] = math.log1p(len(G.moby.get(wl, ()))) / 5
    d = G.my.get(wl, {})
    v = d.get((sl, ""))
    if v is not None:
        x[7], x[8], x[9], x[10] = 1.0, math.log1p(v[0]), float(v[0] == 0), math.log1p(v[2])
    x[11] = float((sl, "similar") in d)
    x[12] = float((sl, "generic") in d)
    x[13] = float((sl, "related") in d)
    x[14] = float((wl, "") in G.my.get(sl, {}))
    x[15] = math.log1p(G.my_nsyn.get(wl, 0)) / 3
    x[16] = float(sl in G.ppdb.get(wl, ()))
    x[17] = (float(r is not None or rr is not None) + float(v is not None or x[14] > 0 or x[11] > 0)
             + x[16]) / 3
    lw, ls = (logfreq(wf, freq, E.bigrams) - 6) / 2, (logfreq(sf, freq, E.bigrams) - 6) / 2
    x[18], x[19], x[20], x[21], x[22] = lw, lw * lw, ls, ls * ls, ls - lw
    x[23] = float(ls < lw)
    pw, ps = G.my_pos.get(wl), G.my_pos.get(sl)
    if pw and ps:
        x[24] = float(pw[0] == ps[0])
    else:
        x[25] = 1.0
    x[26] = float(tag != "")
    ns, nw = sf.count(" ") + 1, wf.count(" ") + 1
    x[27], x[28] = float(ns > 1), float(nw > 1)
    x[29] = float(ns > 1 and wf in sf.split(" "))
    x[30] = float(wf in FUNCTION_WORDS)
    x[31] = len(sf) / 10
    x[32] = float(len(wf) >= 4 and len(sf) >= 4 and wf[:4] == sf[:4])
    x[33] = float(nw > 1 and sf in wf.split(" "))
    x[34] = float(x[17] > 0.99)
    x[35] = math.log1p(E.s_rank(wl, sl)) / 3
    x[36] = math.log1p(E.w_rank(wl, sl)) / 3
    x[37] = math.log1p(E.strong_size(wl)) / 3
    r1 = G.ppdb1.get(wl, {}).get(sl)
    if r1 is not None:
        x[38], x[39] = 1.0, math.log1p(r1) / 3
        x[41] = float(x[17] > 0)
    x[40] = float(wl in G.ppdb1.get(sl, ()))
    return x


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def dot(b, x):
    return sum(bi * xi for bi, xi in zip(b, x))


def fit_logistic(rows, l2=1.0, iters=30, log=None):
    """Binomial logistic regression by Newton's method (IRLS) with an L2
    penalty (not on the bias).  rows: [(x, k, n)] with k successes of n."""
    D = len(rows[0][0])
    beta = [0.0] * D
    sparse = [([i for i, v in enumerate(x) if v != 0.0], x, k, n) for x, k, n in rows]
    for it in range(iters):
        g = [-l2 * b for b in beta]
        g[0] = 0.0
        H = [[0.0] * D for _ in range(D)]
        for i in range(1, D):
            H[i][i] = l2
        H[0][0] = 1e-6
        ll = 0.0
        for nz, x, k, n in sparse:
            z = sum(beta[i] * x[i] for i in nz)
            p = sigmoid(z)
            p = min(max(p, 1e-12), 1 - 1e-12)
            ll += k * math.log(p) + (n - k) * math.log(1 - p)
            r = k - n * p
            w = n * p * (1 - p)
            for a in nz:
                xa = x[a]
                g[a] += r * xa
                wa = w * xa
                Ha = H[a]
                for b in nz:
                    if b <= a:
                        Ha[b] += wa * x[b]
        for a in range(D):
            for b in range(a):
                H[b][a] = H[a][b]
        step = solve(H, g)
        beta = [b + s for b, s in zip(beta, step)]
        mx = max(abs(s) for s in step)
        if log:
            log(f"  newton {it}: loglik {ll:.2f} max step {mx:.4f}")
        if mx < 1e-5:
            break
    return beta


def solve(A, b):
    n = len(b)
    M = [row[:] + [b[i]] for i, row in enumerate(A)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        if abs(M[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c and M[r][c] != 0.0:
                f = M[r][c] / M[c][c]
                Mr, Mc = M[r], M[c]
                for j in range(c, n + 1):
                    Mr[j] -= f * Mc[j]
    return [M[i][n] / M[i][i] if abs(M[i][i]) > 1e-12 else 0.0 for i in range(n)]


# ---------------------------------------------------------------- training data
def observations(pairs_dir, E, max_phrase=3):
    """Per story: trials {w: [n, {s: k}]} (n weighted occurrences of the
    original word or thesaurus phrase w, k of them spun as s; each story
    weighs 1, split over its spun copies) and the damaged 1:1 word swaps
    [(spun, original)] of each pair, for the ranking evaluation."""
    obs, damaged = {}, {}
    for sid, ds in story_groups(pairs_dir):
        wt = 1.0 / len(ds)
        o, dmg = {}, []
        for d in ds:
            spun = open(os.path.join(pairs_dir, d, "spun.txt"), encoding="utf-8").read()
            orig = open(os.path.join(pairs_dir, d, "orig.txt"), encoding="utf-8").read()
            subs, O, changed = align_pair(spun, orig, E.G.related)
            at = {}
            for s, w, j in subs:
                at[(j, w.count(" ") + 1)] = s
                if " " not in s and " " not in w:
                    dmg.append((s, w))
            for j, t in enumerate(O):
                if not re.match(r"\w", t):
                    continue
                for n in range(1, max_phrase + 1):
                    span = O[j:j + n]
                    if len(span) < n or not all(re.match(r"\w", x) for x in span):
                        break
                    w = " ".join(span)
                    if n == 1 and w.endswith("'s") and len(w) > 2:
                        w = w[:-2]
                    if n > 1 and w not in E.lex_w:
                        continue
                    s = at.get((j, n))
                    if s is None and any(j + i in changed for i in range(n)):
                        continue   # changed, but not as one aligned swap of w
                    ent = o.setdefault(w, [0.0, {}])
                    ent[0] += wt
                    if s is not None:
                        ent[1][s] = ent[1].get(s, 0.0) + wt
        obs[sid], damaged[sid] = o, dmg
    return obs, damaged


class FeatureCache:
    def __init__(self, E):
        self.E = E
        self.fwd, self.inv, self.feat = {}, {}, {}

    def from_form(self, w):
        r = self.fwd.get(w)
        if r is None:
            r = self.fwd[w] = self.E.from_form(w)
        return r

    def to_form(self, s):
        r = self.inv.get(s)
        if r is None:
            r = self.inv[s] = self.E.to_form(s)
        return r

    def x(self, w, s, info):
        k = (w, s)
        r = self.feat.get(k)
        if r is None:
            wl, sl, pos, tag = info
            r = self.feat[k] = features(self.E, wl, sl, pos, tag, w, s)
        return r


def build_rows(obs, sids, FC, seed, neg_rate):
    agg = {}
    for sid in sids:
        for w, (n, ks) in obs[sid].items():
            a = agg.setdefault(w, [0.0, {}])
            a[0] += n
            for s, k in ks.items():
                a[1][s] = a[1].get(s, 0.0) + k
    rows, npos = [], 0
    for w in sorted(agg):
        n, ks = agg[w]
        for s, info in sorted(FC.from_form(w).items()):
            k = ks.get(s, 0.0)
            m = 1.0
            if k == 0.0 and neg_rate > 1:
                if zlib.crc32(f"{seed}|{w}|{s}".encode()) % neg_rate:
                    continue
                m = float(neg_rate)
            else:
                npos += 1
            rows.append((FC.x(w, s, info), k * m, n * m))
    return rows, npos


def baseline_score(x):
    # "number of sources, then frequency" (DESIGN.md section 3)
    return x[FEATURES.index("n_sources")] * 100 + x[FEATURES.index("lf_w")]


def prior(x):
    """log10 unigram count of the original (phrase estimate for phrases)"""
    return x[FEATURES.index("lf_w")] * 2 + 6


class BinomialModel:
    def __init__(self, beta):
        self.beta = beta

    def logit(self, x):
        return dot(self.beta, x)

    def log10p(self, x):
        return math.log10(max(sigmoid(self.logit(x)), 1e-12))


def rank_eval(damaged, sids, FC, model):
    """top-k shares for damaged 1:1 swaps of the given stories"""
    c = {"damaged": 0, "no_key": 0, "no_entry": 0, "covered": 0}
    for name in ("model", "model+prior", "baseline"):
        for k in (1, 3, 5, 10):
            c[f"{name}@{k}"] = 0
    ncand = []
    for sid in sids:
        for s, w in damaged[sid]:
            c["damaged"] += 1
            if not content_key(s):
                c["no_key"] += 1
                continue
            cands = FC.to_form(s)
            if w not in cands:
                c["no_entry"] += 1
                continue
            c["covered"] += 1
            ncand.append(len(cands))
            scored = []
            for wc, info in cands.items():
                x = FC.x(wc, s, info)
                lp = model.log10p(x)
                scored.append((wc, lp, lp + prior(x), baseline_score(x)))
            for name, col in (("model", 1), ("model+prior", 2), ("baseline", 3)):
                order = sorted(scored, key=lambda t: (-t[col], t[0]))
                r = [t[0] for t in order].index(w)
                for k in (1, 3, 5, 10):
                    if r < k:
                        c[f"{name}@{k}"] += 1
    ncand.sort()
    c["median_candidates"] = ncand[len(ncand) // 2] if ncand else 0
    return c


def fit_condlogit(groups, D, l2=1.0, iters=200, log=None):
    """Conditional logit: for each spun word s, a softmax over its candidate
    originals w with score beta.x(w, s) + offset(w) (the offset is the log
    prior of w).  groups: [(X, offsets, {true index: weight})].  Maximises
    the weighted log-likelihood of the true originals minus l2/2 |beta|^2
    with L-BFGS."""
    sparse = [([[(i, v) for i, v in enumerate(x) if v != 0.0] for x in X], off, tw)
              for X, off, tw in groups]

    def fg(beta):
        f = 0.5 * l2 * sum(b * b for b in beta)
        g = [l2 * b for b in beta]
        for X, off, tw in sparse:
            z = [o + sum(beta[i] * v for i, v in x) for x, o in zip(X, off)]
            m = max(z)
            e = [math.exp(t - m) for t in z]
            Z = sum(e)
            lz = m + math.log(Z)
            W = sum(tw.values())
            for t, wt in tw.items():
                f -= wt * (z[t] - lz)
                for i, v in X[t]:
                    g[i] -= wt * v
            for x, ei in zip(X, e):
                pw = W * ei / Z
                if pw > 1e-12:
                    for i, v in x:
                        g[i] += pw * v
        return f, g

    return lbfgs(fg, [0.0] * D, iters, log)


def lbfgs(fg, x0, iters=200, log=None, m=10):
    x = list(x0)
    f, g = fg(x)
    S, Y = [], []
    for it in range(iters):
        q = list(g)
        al = []
        for s, y in reversed(list(zip(S, Y))):
            rho = 1.0 / sum(a * b for a, b in zip(y, s))
            a = rho * sum(a * b for a, b in zip(s, q))
            al.append((a, rho, s, y))
            q = [qi - a * yi for qi, yi in zip(q, y)]
        if S:
            gam = sum(a * b for a, b in zip(S[-1], Y[-1])) / sum(b * b for b in Y[-1])
        else:
            gam = 1.0 / max(1.0, math.sqrt(sum(v * v for v in g)))
        r = [gam * v for v in q]
        for a, rho, s, y in reversed(al):
            b = rho * sum(u * v for u, v in zip(y, r))
            r = [ri + si * (a - b) for ri, si in zip(r, s)]
        d = [-v for v in r]
        gd = sum(a * b for a, b in zip(g, d))
        if gd >= 0:
            d = [-v for v in g]
            gd = -sum(v * v for v in g)
            S, Y = [], []
        t = 1.0
        while True:
            xn = [a + t * b for a, b in zip(x, d)]
            fn, gn = fg(xn)
            if fn <= f + 1e-4 * t * gd or t < 1e-8:
                break
            t *= 0.5
        s = [a - b for a, b in zip(xn, x)]
        y = [a - b for a, b in zip(gn, g)]
        if sum(a * b for a, b in zip(s, y)) > 1e-10:
            S.append(s)
            Y.append(y)
            if len(S) > m:
                S.pop(0)
                Y.pop(0)
        conv = abs(f - fn) < 1e-7 * max(1.0, abs(f))
        x, f, g = xn, fn, gn
        if log and it % 10 == 0:
            log(f"  lbfgs {it}: f {f:.4f}")
        if conv:
            break
    return x


def rank_groups(damaged, sids, FC, pair_weight):
    """training groups for fit_condlogit from the damaged swaps of stories"""
    acc = {}
    for sid in sids:
        for s, w in damaged[sid]:
            if not content_key(s):
                continue
            cands = FC.to_form(s)
            if w not in cands:
                continue
            d = acc.setdefault(s, {})
            d[w] = d.get(w, 0.0) + pair_weight[sid]
    groups = []
    for s in sorted(acc):
        cands = sorted(FC.to_form(s).items())
        X = [FC.x(w, s, info) for w, info in cands]
        off = [prior(x) * math.log(10) for x in X]
        idx = {w: i for i, (w, _) in enumerate(cands)}
        groups.append((X, off, {idx[w]: wt for w, wt in acc[s].items()}))
    return groups


# features that depend on the spun word only: they cancel in the ranking
# model and set the level of P(s | w) in the calibration step
S_ONLY = ("lf_s", "lf_s2", "s_chars", "s_multiword")


def calib_x(beta_r, x):
    return [1.0, dot(beta_r, x)] + [x[FEATURES.index(f)] for f in S_ONLY]


class Model:
    """log-odds(spinner writes s for an occurrence of w) =
    a + lam * beta_r.x(w, s) + gamma.z(s)"""

    def __init__(self, beta_r, beta_c):
        self.beta_r, self.beta_c = beta_r, beta_c

    def logit(self, x):
        return dot(self.beta_c, calib_x(self.beta_r, x))

    def log10p(self, x):
        return math.log10(max(sigmoid(self.logit(x)), 1e-12))


def fit_model(obs, damaged, sids, FC, seed, neg_rate, l2, pair_weight, log=None):
    groups = rank_groups(damaged, sids, FC, pair_weight)
    beta_r = fit_condlogit(groups, len(FEATURES), l2, log=log)
    rows, npos = build_rows(obs, sids, FC, seed, neg_rate)
    crow = [(calib_x(beta_r, x), k, n) for x, k, n in rows]
    beta_c = fit_logistic(crow, 0.01)
    return Model(beta_r, beta_c), len(groups), len(rows), npos


# ---------------------------------------------------------------- output
def edge_source(G, wl, sl):
    src = []
    if sl in G.moby_rank.get(wl, {}) or wl in G.moby_rank.get(sl, {}):
        src.append("moby")
    if any((sl, r) in G.my.get(wl, {}) for r in ("", "similar", "generic", "related")) \
            or (wl, "") in G.my.get(sl, {}):
        src.append("mythes")
    if sl in G.ppdb.get(wl, ()):
        src.append("ppdb")
    if sl in G.ppdb1.get(wl, ()) or wl in G.ppdb1.get(sl, ()):
        src.append("ppdb1")
    return "thesaurus:" + "+".join(src)


def emit(E, model, path, top_k, floor, log, discount=0.0, rare_floor=None, rare_count=0):
    """Writes the layer: per spun key its top_k originals by P(s|w) P(w)
    among the edges with P(s|w) >= floor, or >= rare_floor for a key rarer
    than rare_count in the frequency list (see --rare-floor)."""
    best = {}
    lf = math.log10(floor)
    lrf = math.log10(rare_floor) if rare_floor else lf
    key_floors = {}

    def key_floor(s):
        if s not in key_floors:
            count = min(E.M.freq.get(x, 0) for x in s.replace("-", " ").split())
            key_floors[s] = lrf if count < rare_count else lf
        return key_floors[s]

    n_edges = 0
    for i, wl in enumerate(E.words):
        if i % 20000 == 0:
            log(f"  scoring originals {i}/{len(E.words)} ({n_edges} edges)")
        for sl in E.adj(wl):
            src = None
            for a, b, pos, tag in E.instances(wl, sl):
                if not content_key(b) or a in FUNCTION_WORDS or not valid_original(a, E.M):
                    continue
                n_edges += 1
                x = features(E, wl, sl, pos, tag, a, b)
                lp = model.log10p(x)
                if lp < lf and (lp < lrf or lp < key_floor(b)):
                    continue
                post = lp + prior(x)
                d = best.setdefault(b, {})
                if a not in d or lp > d[a][0]:
                    if src is None:
                        src = edge_source(E.G, wl, sl)
                    d[a] = (lp, post, src)
    rows = []
    for s in sorted(best):
        # keep the originals most likely given s alone: P(s | w) P(w)
        cands = sorted(best[s].items(), key=lambda t: (-t[1][1], t[0]))[:top_k]
        for w, (lp, post, src) in cands:
            rows.append((s, w, round(lp - discount, 3), src))
    rows.sort()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["spun", "original", "weight", "source"])
        for s, w, wt, src in rows:
            wr.writerow([s, w, f"{wt:.3f}", src])
    log(f"wrote {len(rows)} rows for {len(best)} spun keys ({n_edges} edges scored) to {path}")
    return len(rows)


# ---------------------------------------------------------------- main
def parser():
    """The command line; its defaults are the committed parameters."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    committed = params.THESAURUS
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="The defaults are the committed parameters (scripts/unspin_data/params.py).")
    ap.add_argument("--sources", default=os.path.join(root, "..", "shared", "data-sources"),
                    help="the data-sources folder")
    ap.add_argument("--train", default=os.path.join(root, "..", "shared", "dev", "train"),
                    help="the training pairs")
    ap.add_argument("--out", default=os.path.join(root, "data", "dict", "thesaurus.csv"))
    ap.add_argument("--top-k", type=int, default=committed["top_k"])
    ap.add_argument("--floor", type=float, default=committed["floor"],
                    help="drop edges with P(s|w) below this")
    ap.add_argument("--rare-floor", type=float, default=committed["rare_floor"],
                    help="the floor for spun keys rarer than --rare-count; "
                         "a rare key is cheap to check, as it seldom occurs")
    ap.add_argument("--rare-count", type=float, default=committed["rare_count"],
                    help="a key whose rarest word has a smaller count in the frequency list is rare")
    ap.add_argument("--folds", type=int, default=params.THESAURUS_REPORT_FOLDS,
                    help="k-fold by story for the held-out report (0: skip; the layer is the same)")
    ap.add_argument("--neg-rate", type=int, default=committed["neg_rate"],
                    help="keep 1 in N negative edges (weighted N)")
    ap.add_argument("--l2", type=float, default=committed["l2"])
    ap.add_argument("--seed", type=int, default=committed["seed"])
    ap.add_argument("--discount", type=float, default=committed["discount"],
                    help="log10 layer discount subtracted from every weight (tuned end to end, "
                         "see data/dict/THESAURUS.md); 0 writes the calibrated log10 P(s|w)")
    ap.add_argument("--no-emit", action="store_true")
    ap.add_argument("--model", choices=("condlogit", "binomial"), default=committed["model"])
    return ap


def main():
    a = parser().parse_args()
    t0 = time.time()

    def log(m):
        print(f"[{time.time() - t0:6.1f}s] {m}", file=sys.stderr, flush=True)

    freq = load_freq(os.path.join(a.sources, FREQ))
    to_l, forms = load_exc(os.path.join(a.sources, WORDNET_EXC))
    M = Morph(freq, to_l, forms)
    G = Graph(a.sources, freq, log)
    E = Edges(G, M)
    E.bigrams = load_bigrams(os.path.join(a.sources, BIGRAMS))
    log(f"{len(E.words)} originals, {len(E.rev)} spun lemmas")
    FC = FeatureCache(E)
    obs, damaged = observations(a.train, E)
    sids = sorted(obs)
    log(f"{len(sids)} stories, {sum(len(v) for v in damaged.values())} damaged 1:1 swaps")

    pair_weight = {sid: 1.0 / len(ds) for sid, ds in story_groups(a.train)}

    def fit(train):
        if a.model == "binomial":
            rows, npos = build_rows(obs, train, FC, a.seed, a.neg_rate)
            return BinomialModel(fit_logistic(rows, a.l2)), f"{len(rows)} rows ({npos} with k>0)"
        m, ng, nr, npos = fit_model(obs, damaged, train, FC, a.seed, a.neg_rate, a.l2, pair_weight)
        return m, f"{ng} spun words for ranking, {nr} calibration rows ({npos} with k>0)"

    if a.folds:
        folds = [sids[i::a.folds] for i in range(a.folds)]
        tot = {}
        for fi, test in enumerate(folds):
            train = [s for s in sids if s not in test]
            model, info = fit(train)
            log(f"fold {fi}: {info}, held out {test}")
            c = rank_eval(damaged, test, FC, model)
            for k, v in c.items():
                if k != "median_candidates":
                    tot[k] = tot.get(k, 0) + v
            tot.setdefault("median_candidates", []).append(c["median_candidates"])
        n, cov = tot["damaged"], max(tot["covered"], 1)
        print(f"held-out ranking ({a.folds}-fold by story, model {a.model}, seed {a.seed}): "
              f"{n} damaged 1:1 word swaps")
        print(f"  spun word not a thesaurus key (function word/number/short): {tot['no_key']} ({tot['no_key'] / n:.1%})")
        print(f"  key present but true original not a candidate: {tot['no_entry']} ({tot['no_entry'] / n:.1%})")
        print(f"  covered: {tot['covered']} ({tot['covered'] / n:.1%}); median candidates per covered key "
              f"{sorted(tot['median_candidates'])[len(folds) // 2]}")
        for name in ("model", "model+prior", "baseline"):
            print(f"  {name:12s} " + "  ".join(
                f"top{k} {tot[f'{name}@{k}'] / n:.1%} ({tot[f'{name}@{k}'] / cov:.1%} of covered)"
                for k in (1, 3, 5, 10)))
        sys.stdout.flush()

    model, info = fit(sids)
    log(f"final fit: {info}")
    if a.model == "binomial":
        print("coefficients:")
        for f, b in zip(FEATURES, model.beta):
            print(f"  {f:20s} {b:+.3f}")
    else:
        print("ranking coefficients (conditional logit, nats):")
        for f, b in zip(FEATURES, model.beta_r):
            if b:
                print(f"  {f:20s} {b:+.3f}")
        print("calibration (log-odds = a + lam*rank_score + gamma.z(s)):")
        for f, b in zip(["a", "lam"] + list(S_ONLY), model.beta_c):
            print(f"  {f:20s} {b:+.3f}")
    if not a.no_emit:
        FC = None
        E._inst = {}
        emit(E, model, a.out, a.top_k, a.floor, log, a.discount, a.rare_floor, a.rare_count)


if __name__ == "__main__":
    main()
