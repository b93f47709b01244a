import sys

from recdraft.cli import main

sys.exit(main())
