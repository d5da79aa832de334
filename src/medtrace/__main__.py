import sys

from medtrace.cli import main

sys.exit(main())
