from git_blueprint._entry import main

raise SystemExit(main())
