import { render } from 'preact';
import { AuthGate } from './components/auth-gate.js';
import './styles.css';

render(<AuthGate />, document.getElementById('app')!);
