import gc

gc.disable()  # until the process is ready: bot/startup_heap.py

import sys  # noqa: E402

from bot.cli.main import main  # noqa: E402

sys.exit(main())
