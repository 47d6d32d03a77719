"""The recurrent lesson: a digit read row by row, memory over time, the LSTM's gates, text."""
