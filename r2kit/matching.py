"""Peer learning: who can learn what from whom, breakout groups, and peer-review pairs.

Built on `analysis.complementarity`: a peer can help where it scores STRENGTH_FROM (75) or more on a theme on which
the learner scores under GAP_BELOW (50); the size of the help is the score difference. Assessments of the same
corridor are never matched as learner and peer (they are peer-review pairs instead).

Everything is deterministic: the same input gives the same matches and the same groups.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from . import analysis
from .errors import R2kitError
from .groupviews import as_theme_scores, meta_from_answers

SAME_CORRIDOR_PENALTY = 1_000.0  # two assessors of one corridor learn more from others than from each other
SATURATION = 150.0  # score points: above this, more complementarity in one group counts for less (groups balance)


def _theme_text(theme_ids: list[int], titles: dict[int, str]) -> str:
    return "; ".join(f"{t}. {titles[t]}" for t in theme_ids)


def peer_matches(answers: pd.DataFrame, meta: pd.DataFrame | None = None, top: int = 3) -> pd.DataFrame:
    """For each learner, the `top` peers strongest where the learner has gaps, with the themes that make the match.

    Columns: learner, rank, peer, themes (text), theme_ids, n_themes, strength (sum of score differences).
    Learners with no strong peer on any of their gaps do not appear.
    """
    meta = meta if meta is not None else meta_from_answers(answers)
    corridor = dict(zip(meta["assessment_id"], meta["corridor_id"], strict=True))
    pairs = analysis.complementarity(answers)
    pairs = pairs[pairs["learner"].map(corridor) != pairs["peer"].map(corridor)]
    columns = ["learner", "rank", "peer", "themes", "theme_ids", "n_themes", "strength"]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    titles = dict(zip(pairs["theme_id"], pairs["theme_title"], strict=False))
    totals = pairs.groupby(["learner", "peer"], sort=False)["difference"].agg(["sum", "size"]).reset_index()
    totals = totals.rename(columns={"sum": "strength", "size": "n_themes"})
    totals = totals.sort_values(["learner", "strength", "n_themes", "peer"], ascending=[True, False, False, True])
    out = totals.groupby("learner", sort=False).head(top).copy()
    out["rank"] = out.groupby("learner").cumcount() + 1
    chosen = pairs.merge(out[["learner", "peer"]], on=["learner", "peer"]).sort_values("theme_id")
    themes = chosen.groupby(["learner", "peer"])["theme_id"].agg(list)
    out["theme_ids"] = [themes[(a, b)] for a, b in zip(out["learner"], out["peer"], strict=True)]
    out["themes"] = out["theme_ids"].map(lambda ids: _theme_text(ids, titles))
    out["strength"] = out["strength"].round(1)
    return out[columns].reset_index(drop=True)


NO_PEER = "no peer scores 75 or more on their gaps"


def learning_table(matches: pd.DataFrame, participants: list[str] | pd.Series) -> pd.DataFrame:
    """One row per participant: how many peers they can learn from, and each peer with the themes of the match.

    `matches` comes from peer_matches (ids or labels in learner and peer); `participants` lists everyone in the
    order to show (participants without a strong peer get NO_PEER, so nobody silently drops out).
    Columns: participant, peers, can_learn_from (one line per peer: "peer C: 3. Access to ...; 7. Access to ...").
    """
    lines = {
        learner: "\n".join(f"{row.peer}: {row.themes}" for row in part.sort_values("rank").itertuples())
        for learner, part in matches.groupby("learner", sort=False)
    }
    counts = matches.groupby("learner")["peer"].nunique()
    everyone = list(dict.fromkeys(participants))
    return pd.DataFrame(
        {
            "participant": everyone,
            "peers": [int(counts.get(p, 0)) for p in everyone],
            "can_learn_from": [lines.get(p, NO_PEER) for p in everyone],
        },
        columns=["participant", "peers", "can_learn_from"],
    )


def complementarity_matrix(answers: pd.DataFrame) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """Assessment ids (sorted), C[i, j] (how much i can learn from j), and the gap and strength masks (ids x themes).

    `answers` is an answers table or theme scores. Same rule as analysis.complementarity, as arrays.
    """
    themes = as_theme_scores(answers)
    scores = themes.pivot(index="assessment_id", columns="theme_id", values="score").sort_index()
    s = scores.to_numpy(dtype=float)
    gap = np.nan_to_num(s, nan=np.inf) < analysis.GAP_BELOW
    strong = np.nan_to_num(s, nan=-np.inf) >= analysis.STRENGTH_FROM
    s0 = np.nan_to_num(s)
    gap_f, strong_f = gap.astype(float), strong.astype(float)
    c = gap_f @ (strong_f * s0).T - (gap_f * s0) @ strong_f.T
    np.fill_diagonal(c, 0.0)
    return scores.index, c, gap, strong


def group_sizes(n: int, size: int) -> list[int]:
    """Sizes of ceil(n / size) groups as even as possible, none larger than `size` (10 people by 4: 4, 3, 3)."""
    if size < 2:
        raise R2kitError(f"A breakout group needs at least 2 people (asked for groups of {size}).")
    k = max(1, -(-n // size))
    return [n // k + (1 if g < n % k else 0) for g in range(k)]


def breakout_groups(
    answers: pd.DataFrame,
    size: int = 4,
    meta: pd.DataFrame | None = None,
    region_weight: float = 50.0,
    max_passes: int = 50,
) -> pd.DataFrame:
    """Breakout groups of about `size` that maximise complementarity and mix regions; deterministic.

    A group's complementarity is the sum, over its pairs, of how much each can learn from the other. The objective
    adds up each group's complementarity through a saturating curve (so that no group is left with nothing to
    learn while another hoards the strongest peers), minus `region_weight` per pair from the same (known) region and
    a large penalty per pair from the same corridor. A greedy assignment is improved by swapping members between
    groups until no swap helps.
    Columns: group, assessment_id, corridor_id, region, can_learn and can_share (theme ids within the group).
    """
    ids, c, gap, strong = complementarity_matrix(answers)
    n = len(ids)
    columns = ["group", "assessment_id", "corridor_id", "region", "can_learn", "can_share"]
    if n == 0:
        return pd.DataFrame(columns=columns)
    theme_ids = np.array(sorted(as_theme_scores(answers)["theme_id"].unique()))
    meta = (meta if meta is not None else meta_from_answers(answers)).drop_duplicates("assessment_id")
    meta = meta.set_index("assessment_id").reindex(ids)
    region = meta["region"].where(meta["region"].notna() & meta["region"].astype(str).str.strip().ne(""))
    corridor = meta["corridor_id"].fillna(pd.Series(ids.str.split("/").str[0], index=ids))
    wc = c + c.T  # complementarity both ways
    reg = region.to_numpy(dtype=object)
    known = pd.notna(reg)
    same_region = (reg[:, None] == reg[None, :]) & known[:, None] & known[None, :]
    cor = corridor.to_numpy(dtype=object)
    wp = region_weight * same_region + SAME_CORRIDOR_PENALTY * (cor[:, None] == cor[None, :])  # penalties
    np.fill_diagonal(wc, 0.0)
    np.fill_diagonal(wp, 0.0)
    group = _assign(wc, wp, group_sizes(n, size), max_passes)
    first = {g: idx for idx, g in reversed(list(enumerate(group)))}  # smallest member index of each group
    renumber = {g: rank + 1 for rank, g in enumerate(sorted(first, key=first.get))}
    rows = []
    for idx in np.lexsort((np.arange(n), [renumber[g] for g in group])):
        mates = (group == group[idx]) & (np.arange(n) != idx)
        learn = gap[idx] & strong[mates].any(axis=0)
        share = strong[idx] & gap[mates].any(axis=0)
        rows.append(
            {
                "group": renumber[group[idx]],
                "assessment_id": ids[idx],
                "corridor_id": cor[idx],
                "region": reg[idx] if known[idx] else None,
                "can_learn": [int(t) for t in theme_ids[learn]],
                "can_share": [int(t) for t in theme_ids[share]],
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _value(q: np.ndarray) -> np.ndarray:
    """Concave value of a group's complementarity: linear when small, saturating when large, so groups balance."""
    return SATURATION * np.log1p(np.maximum(q, 0.0) / SATURATION)


def _assign(wc: np.ndarray, wp: np.ndarray, sizes: list[int], max_passes: int) -> np.ndarray:
    """Group index per participant maximising sum over groups of value(complementarity) minus penalties."""
    n, k = len(wc), len(sizes)
    group = np.full(n, -1)
    members = np.zeros(k, dtype=int)
    tc = np.zeros((n, k))  # tc[x, g]: complementarity between x and the members of g
    tp = np.zeros((n, k))  # tp[x, g]: penalties between x and the members of g
    q = np.zeros(k)  # complementarity inside each group
    order = np.lexsort((np.arange(n), -wc.sum(axis=1)))  # most complementary first, ties by position
    for step, i in enumerate(order):
        if step < k:
            g = step  # seed each group with one of the most complementary participants
        else:
            gain = np.where(members < np.array(sizes), _value(q + tc[i]) - _value(q) - tp[i], -np.inf)
            best = np.flatnonzero(gain == gain.max())
            g = int(best[np.argmin(members[best])])
        group[i] = g
        members[g] += 1
        q[g] += tc[i, g]
        tc[:, g] += wc[:, i]
        tp[:, g] += wp[:, i]

    rows = np.arange(n)
    for _ in range(max_passes):
        improved = False
        for i in range(n):
            gi, gj = group[i], group
            # Swap i with every j at once: new complementarity of both groups, change in penalties.
            q_i = q[gi] - tc[i, gi] + tc[:, gi] - wc[i]
            q_j = q[gj] - tc[rows, gj] + tc[i, gj] - wc[i]
            pen = tp[:, gi] - tp[i, gi] + tp[i, gj] - tp[rows, gj] - 2 * wp[i]
            delta = _value(q_i) + _value(q_j) - _value(q[gi]) - _value(q[gj]) - pen
            delta[gj == gi] = -np.inf
            j = int(np.argmax(delta))
            if delta[j] > 1e-9:
                g2 = group[j]
                q[gi], q[g2] = q_i[j], q_j[j]
                tc[:, gi] += wc[:, j] - wc[:, i]
                tc[:, g2] += wc[:, i] - wc[:, j]
                tp[:, gi] += wp[:, j] - wp[:, i]
                tp[:, g2] += wp[:, i] - wp[:, j]
                group[i], group[j] = g2, gi
                improved = True
        if not improved:
            break
    return group


def group_quality(groups: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """Per breakout group: members, regions represented, and the total complementarity inside the group."""
    ids, c, _, _ = complementarity_matrix(answers)
    pos = {a: n for n, a in enumerate(ids)}
    rows = []
    for g, part in groups.groupby("group"):
        idx = [pos[a] for a in part["assessment_id"]]
        sub = c[np.ix_(idx, idx)]
        rows.append(
            {
                "group": g,
                "members": len(idx),
                "regions": part["region"].dropna().nunique(),
                "complementarity": round(float(sub.sum()), 1),
            }
        )
    return pd.DataFrame(rows, columns=["group", "members", "regions", "complementarity"])


def review_pairs(answers: pd.DataFrame, meta: pd.DataFrame | None = None) -> pd.DataFrame:
    """Peer review: every pair of assessors of the same corridor with their agreement and items to discuss.

    The same figures as analysis.peer_review (agreement: share of items both scored that got the same answer; kappa:
    linear-weighted; to_discuss: items two or more levels apart or scored by one side only), computed on one answer
    matrix so that 100 pairs take milliseconds, not seconds.
    """
    meta = meta if meta is not None else meta_from_answers(answers)
    ids, matrix = analysis.answer_matrix(answers)
    row = {a: n for n, a in enumerate(ids)}
    rows = []
    for corridor_id, part in meta.sort_values("assessment_id").groupby("corridor_id", sort=True):
        for first, second in itertools.combinations(part["assessment_id"], 2):
            if first not in row or second not in row:
                raise KeyError(f"no answers for assessment {first if first not in row else second!r}")
            rows.append({"corridor_id": corridor_id, "first": first, "second": second,
                         **_compare(matrix[row[first]], matrix[row[second]])})  # fmt: skip
    return pd.DataFrame(
        rows, columns=["corridor_id", "first", "second", "compared", "agreement", "kappa", "to_discuss"]
    )


def _compare(a: np.ndarray, b: np.ndarray) -> dict:
    """Agreement, kappa, items compared and items to discuss for two rows of an answer matrix (CODE_INDEX codes)."""
    scored_a, scored_b = (a >= 0) & (a <= 3), (b >= 0) & (b <= 3)
    both = scored_a & scored_b
    difference = np.abs(a.astype(int) - b.astype(int))
    return {
        "compared": int(both.sum()),
        "agreement": float((difference[both] == 0).mean()) if both.any() else float("nan"),
        "kappa": analysis.weighted_kappa(a[both], b[both]),
        "to_discuss": int(((difference >= 2) & both).sum() + (scored_a ^ scored_b).sum()),
    }
