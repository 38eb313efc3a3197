"""Child process for the write-back kill tests (tests/store/test_workcopy_kills.py).

``python writeback_child.py write ORIGIN DATA_DIR``: open ORIGIN as a working copy, add 100
committees, print WRITEBACK-START, write back, print WRITEBACK-END (a kill lands in between).
``python writeback_child.py recover ORIGIN DATA_DIR``: open it again (as after a crash), write back
what is unwritten and print one JSON line: kept, set_aside, count.
"""

from __future__ import annotations

import json
import os
import sys

mode, origin, data_dir = sys.argv[1:4]
os.environ["ZHIBU_DATA_DIR"] = data_dir

from desktop.store import workcopy  # noqa: E402
from desktop.store.models import Committee  # noqa: E402

NEW = 100

led = workcopy.open_ledger(origin, mode="always")
wc = led.working_copy
if mode == "write":
    with led.write() as s:
        s.add_all(Committee(name=f"新{i:03d}" * 30) for i in range(NEW))
    os.write(1, b"WRITEBACK-START\n")
    wc.write_back()
    os.write(1, b"WRITEBACK-END\n")
    led.close()
else:
    kept, aside = wc.kept_unsaved, str(wc.set_aside) if wc.set_aside else None
    wrote = wc.write_back()
    with led.read() as s:
        count = s.query(Committee).count()
    led.close()
    print(json.dumps({"kept": kept, "set_aside": aside, "wrote": wrote, "count": count}))
