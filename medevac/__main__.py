from medevac.cli import main

raise SystemExit(main())
