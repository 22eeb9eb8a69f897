"""`python -m monitor` runs the same CLI as the `posture-monitor` command."""

from monitor.cli.main import main

raise SystemExit(main())
