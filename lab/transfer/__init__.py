"""The transfer lesson: the lab's digit CNN reused for new symbols, three ways compared."""
