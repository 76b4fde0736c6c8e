import sys

from medevac.dispatch.tracecheck import main

sys.exit(main())
