from medtrace.console import run

run()
