from kcm_core.cli import main

raise SystemExit(main())
