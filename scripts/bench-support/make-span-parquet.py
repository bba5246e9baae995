"""Writes a span export as the SDK's spans.export_to_parquet writes it, for scripts/bench --parquet.

Flat columns with dotted names (context.span_id, context.trace_id, project_id, start_time, attributes.*), times as
timestamp[ns, UTC] (int64 nanoseconds), Snappy, row groups of 5,000 rows; input and output text of
40 to 750 characters, so that 1M rows take about 300 MB and the id and time chunks under 10% of it.
Deterministic for a given --seed.

Usage: .venv/bin/python scripts/bench-support/make-span-parquet.py --rows N --out FILE [--seed S]
"""
import argparse
import random

import pyarrow as pa
import pyarrow.parquet as pq

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=1_000_000)
ap.add_argument("--out", required=True)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()

rng = random.Random(a.seed)
words = ("the model answered quickly but the user said no and asked again about refunds shipping the invoice "
         "a cafe order and 3 items before it was late so we retried then the tool said done").split()
pool = [" ".join(rng.choice(words) for _ in range(rng.randrange(8, 150))) for _ in range(4096)]
base = 1_768_435_200_000_000_000
month = 30 * 86_400 * 1_000_000_000

writer = None
batch = 100_000
for start in range(0, a.rows, batch):
    n = min(batch, a.rows - start)
    span_ids = ["%016x" % rng.getrandbits(64) for _ in range(n)]
    trace_ids = []
    while len(trace_ids) < n:
        trace_ids += ["%032x" % rng.getrandbits(128)] * rng.randrange(1, 9)
    trace_ids = trace_ids[:n]
    starts = [base + rng.randrange(month) for _ in range(n)]
    table = pa.table({
        "name": pa.array([rng.choice(["llm", "chain", "retriever", "tool"]) for _ in range(n)]),
        "span_kind": pa.array([rng.choice(["LLM", "CHAIN", "RETRIEVER", "TOOL"]) for _ in range(n)]),
        "parent_id": pa.array([None if rng.random() < 0.2 else "%016x" % rng.getrandbits(64) for _ in range(n)]),
        "start_time": pa.array(starts, pa.timestamp("ns", tz="UTC")),
        "end_time": pa.array([s + rng.randrange(10**10) for s in starts], pa.timestamp("ns", tz="UTC")),
        "status_code": pa.array([rng.choice(["OK", "OK", "OK", "ERROR"]) for _ in range(n)]),
        "status_message": pa.array([""] * n),
        "context.span_id": pa.array(span_ids),
        "project_id": pa.array([rng.choice(["UHJvamVjdDox", "UHJvamVjdDoy", "UHJvamVjdDoz"]) for _ in range(n)]),
        "context.trace_id": pa.array(trace_ids),
        "attributes.input.value": pa.array([rng.choice(pool) for _ in range(n)]),
        "attributes.output.value": pa.array([rng.choice(pool) for _ in range(n)]),
        "attributes.llm.model_name": pa.array([rng.choice(["gpt-4o", "gpt-4o-mini", "claude"]) for _ in range(n)]),
        "attributes.llm.token_count.prompt": pa.array([rng.randrange(10, 4000) for _ in range(n)], pa.int64()),
        "attributes.llm.token_count.completion": pa.array([rng.randrange(10, 2000) for _ in range(n)], pa.int64()),
        "attributes.metadata": pa.array(['{"user": "u%d", "session": "s%d"}' % (rng.randrange(1000), rng.randrange(10**6))
                                         for _ in range(n)]),
    })
    if writer is None:
        writer = pq.ParquetWriter(a.out, table.schema, compression="snappy")
    writer.write_table(table, row_group_size=5_000)
writer.close()
