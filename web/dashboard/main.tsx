import { render } from 'preact';
import '../src/styles.css';
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import { DashboardGate } from './dashboard-gate.js';

render(<DashboardGate />, document.getElementById('app')!);
