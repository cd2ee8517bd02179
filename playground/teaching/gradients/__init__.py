"""The Gradients lab's logic: diagnosing a network's gradients, and comparing configurations."""
